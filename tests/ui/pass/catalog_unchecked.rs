// `unchecked` leaves one declaration out of the catalog checks, for when the catalog is
// wrong or behind the gateway: each field here would be an error otherwise.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/profitsharing/receivers/add", unchecked)]
pub struct AddReceiver {
    pub account: u64,
    pub name: String,
    pub new_member: String,
}

#[wechat_endpoint(DELETE, "v3/pay/transactions/out-trade-no/<out_trade_no>", unchecked, idempotent)]
pub struct CloseOrder {
    pub out_trade_no: String,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<AddReceiver>();
const _: () = endpoint::<CloseOrder>();

fn main() {}
