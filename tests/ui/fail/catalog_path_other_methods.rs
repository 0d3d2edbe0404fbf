// The path is in the catalog, with other methods only.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(DELETE, "v3/pay/transactions/out-trade-no/<out_trade_no>")]
pub struct CloseOrder {
    pub out_trade_no: String,
    pub mchid: String,
}

fn main() {}
