// A path the catalog does not know, and is not a near miss of one, compiles unchecked:
// the catalog may lag the gateway.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/marketing/partner/product-coupon/new-feature/<id>")]
pub struct NewFeature {
    pub id: String,
    pub anything: u64,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<NewFeature>();

fn main() {}
