//! What the client does on top of the request pipeline: each feature builds requests
//! and hands them to the pipeline, or works on what the pipeline verified.
//!
//! | module | what |
//! | --- | --- |
//! | `bill` | bill requests, and their files streamed to a writer or a path |
//! | `certificates` | certificate mode: platform certificates downloaded and refreshed |
//! | `dynamic` | calls to endpoints nobody declared |
//! | `members` | JSON objects read member by member: the typed endpoints' responses |
//! | `media` | media uploads' responses, and the media file type |
//! | `notify` | callbacks verified, decrypted and answered |
//! | `payment` | front-end payment parameters, signed |
//! | `sensitive` | sensitive values, marked to be sent encrypted |
//! | `values` | enumerations of the gateway's values, with a fallback for new ones |

pub mod bill;
pub(crate) mod certificates;
pub(crate) mod dynamic;
pub mod media;
#[cfg_attr(not(test), allow(dead_code, reason = "used by `crate::apis`, empty without an `apis` feature"))]
pub(crate) mod members;
pub mod notify;
pub mod payment;
pub mod sensitive;
pub(crate) mod values;
