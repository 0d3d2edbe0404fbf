// Media uploads: the one-line case, a borrowed file with extra `meta` fields, the full
// path of the type, generic extra fields, and a shared file.
use wechat_endpoint::media::{MediaFile, MediaId, MediaUrl};
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct Upload {
    #[wechat(file)]
    pub file: MediaFile,
}

#[wechat_endpoint(POST, "v3/marketing/partner/product-coupon/media/upload-image", response = MediaUrl)]
pub struct UploadCouponImage<'a> {
    pub brand_id: &'a str,
    #[wechat(file)]
    pub image: &'a wechat_endpoint::media::MediaFile,
}

#[wechat_endpoint(POST, "v3/stores/<store_id>/images", response = MediaUrl, idempotent)]
pub struct UploadStoreImage<Id, Meta> {
    pub store_id: Id,
    #[wechat(query)]
    pub sub_mchid: String,
    #[wechat(body)]
    pub extra: Meta,
    #[wechat(file)]
    pub image: ::wechat_endpoint::media::MediaFile,
}

#[wechat_endpoint(POST, "v3/merchant/media/upload", response = MediaId)]
pub struct UploadShared {
    #[wechat(file)]
    pub file: std::sync::Arc<MediaFile>,
}

const fn upload<E: Endpoint>() {}
const _: () = upload::<UploadShared>();
const _: () = upload::<Upload>();
const _: () = upload::<UploadCouponImage<'static>>();
const _: () = upload::<UploadStoreImage<u64, Vec<(String, u8)>>>();

fn main() {}
