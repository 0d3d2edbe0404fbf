//! Why a bill download failed: [`DownloadError`], defined with the pipeline's errors
//! because [`Error::Download`] carries it, and the error for an unusable bill response.

pub use crate::pipeline::error::DownloadError;
use crate::pipeline::error::Error;

/// The bill response's `field` cannot be used; nothing was sent for the file.
pub(super) fn response_error(field: &'static str, problem: String) -> Error {
    Error::Download { source: DownloadError::Response { field, problem }, written: 0, request_id: None, tries: 0 }
}
