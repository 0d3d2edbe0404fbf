// Borrowed fields, in the path, the query and the body.
use std::borrow::Cow;

use serde::Serialize;
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[derive(Serialize)]
pub struct StoreRef<'a> {
    pub store_id: &'a str,
}

#[wechat_endpoint(POST, "v3/stocks/<stock_id>/associate-stores")]
pub struct AssociateStores<'a, 'b> {
    pub stock_id: &'a str,
    pub brand_id: Cow<'b, str>,
    pub store_list: &'a [StoreRef<'b>],
    #[wechat(query)]
    pub page_token: Option<&'b str>,
}

#[wechat_endpoint(GET, "v3/users/<openid>/coupons/<coupon_code>")]
pub struct GetCoupon<'a> {
    pub openid: &'a str,
    pub coupon_code: Cow<'a, str>,
    pub appid: &'a str,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<AssociateStores<'static, 'static>>();
const _: () = endpoint::<GetCoupon<'static>>();

fn main() {}
