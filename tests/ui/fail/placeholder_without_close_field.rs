use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/users/<openid>/coupons/<code>")]
pub struct GetCoupon {
    pub openid: String,
    pub coupon_code: String,
}

#[wechat_endpoint(GET, "v3/certificates/<serial_no>")]
pub struct GetCertificate {}

fn main() {}
