// The file goes in the part the operation names, and a part name is a plain token.
use wechat_endpoint::media::{MediaFile, MediaId};
use wechat_endpoint::wechat_endpoint;

/// `submission-files/…/upload` reads its file from `submission_file`, not `file`.
#[wechat_endpoint(POST, "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload", response = MediaId)]
pub struct DefaultPart {
    pub sub_mchid: String,
    #[wechat(file)]
    pub file: MediaFile,
}

/// `merchant/media/upload` reads its file from `file`.
#[wechat_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct WrongPart {
    #[wechat(file = "image")]
    pub file: MediaFile,
}

/// A part name that cannot go in a `Content-Disposition` header as it is.
#[wechat_endpoint(POST, "v3/fixture/upload", response = MediaId)]
pub struct BadName {
    #[wechat(file = "my file\"")]
    pub file: MediaFile,
}

fn main() {}
