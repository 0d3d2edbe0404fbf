use wechat_endpoint::media::MediaFile;
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    #[wechat(file, encrypt)]
    pub file: MediaFile,
}

fn main() {}
