use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    #[wechat(file)]
    pub file: Vec<u8>,
}

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct UploadPath {
    #[wechat(file)]
    pub file: std::path::PathBuf,
}

fn main() {}
