use wechat_endpoint::media::MediaFile;
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/fixture/merchant/media/upload")]
pub struct Upload {
    #[wechat(file, body)]
    pub file: MediaFile,
}

#[wechat_endpoint(POST, "v3/fixture/merchant/media/upload")]
pub struct UploadQuery {
    #[wechat(query)]
    #[wechat(file)]
    pub file: MediaFile,
}

fn main() {}
