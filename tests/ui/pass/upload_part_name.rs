// An upload whose file part is not `file`: the name is given with the field.
use wechat_endpoint::media::{MediaFile, MediaId};
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/mch-manage/submission-files/sub-mchid/{sub_mchid}/upload", response = MediaId)]
pub struct UploadSubmission {
    pub sub_mchid: String,
    pub item_id: String,
    pub manage_record_id: String,
    #[wechat(file = "submission_file")]
    pub file: MediaFile,
}

const _: () = assert!(matches!(UploadSubmission::FILE_PART.as_bytes(), b"submission_file"));

fn main() {}
