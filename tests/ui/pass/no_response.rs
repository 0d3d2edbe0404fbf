// Without `response`, the endpoint answers `204 No Content` and `Response = ()`.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/product-coupons/<product_coupon_id>/deactivate")]
pub struct DeactivateProductCoupon {
    pub product_coupon_id: String,
}

#[wechat_endpoint(GET, "v3/certificates")]
pub struct NoFields {}

const fn answers_nothing<E: Endpoint<Response = ()>>() {}
const _: () = answers_nothing::<DeactivateProductCoupon>();
const _: () = answers_nothing::<NoFields>();

fn main() {}
