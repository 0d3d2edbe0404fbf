// A `flatten` field sends members the macro cannot see: no member is unknown or
// missing, and the members it does see are still typed.
use std::collections::BTreeMap;

use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(PATCH, "v3/marketing/busifavor/stocks/<stock_id>/budget")]
pub struct UpdateBudget {
    pub stock_id: String,
    pub target_max_coupons: u32,
    pub extra_field: String,
    #[serde(flatten)]
    pub rest: BTreeMap<String, u32>,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<UpdateBudget>();

fn main() {}
