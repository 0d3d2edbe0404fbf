use wechat_endpoint::media::MediaFile;
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/stores/<image>/upload")]
pub struct Upload {
    #[wechat(file)]
    pub image: MediaFile,
}

fn main() {}
