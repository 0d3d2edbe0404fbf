use wechat_endpoint::media::MediaFile;
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(PUT, "v3/fixture/merchant/media/upload")]
pub struct PutUpload {
    #[wechat(file)]
    pub file: MediaFile,
}

#[wechat_endpoint(GET, "v3/fixture/merchant/media/upload")]
pub struct GetUpload {
    #[wechat(file)]
    pub file: MediaFile,
}

/// On a catalog upload path too, the one error is that an upload is a POST.
#[wechat_endpoint(PUT, "v3/merchant/media/upload")]
pub struct PutCatalogUpload {
    #[wechat(file)]
    pub file: MediaFile,
}

fn main() {}
