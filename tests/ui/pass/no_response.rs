// Without `response`, the endpoint responds with `204 No Content` and `Response = ()`.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/product-coupons/<product_coupon_id>/deactivate")]
pub struct DeactivateProductCoupon {
    pub product_coupon_id: String,
}

#[wechat_endpoint(GET, "v3/certificates")]
pub struct NoFields {}

const fn responds_with_nothing<E: Endpoint<Response = ()>>() {}
const _: () = responds_with_nothing::<DeactivateProductCoupon>();
const _: () = responds_with_nothing::<NoFields>();

fn main() {}
