use wechat_endpoint::wechat_endpoint;

// Named `MediaFile`, but not `wechat_endpoint::media::MediaFile`: rustc says so, at the
// field's type.
pub struct MediaFile {
    pub bytes: Vec<u8>,
}

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    #[wechat(file)]
    pub file: MediaFile,
}

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct UploadBorrowed<'a> {
    #[wechat(file)]
    pub file: &'a MediaFile,
}

fn main() {}
