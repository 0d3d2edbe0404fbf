// Members compare by their serialised name: `rename` (the error points at its literal)
// and `rename_all`.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/pay/transactions/out-trade-no/<out_trade_no>")]
pub struct QueryByOutTradeNo {
    pub out_trade_no: String,
    #[serde(rename = "mch_id")]
    pub mchid: String,
}

#[wechat_endpoint(GET, "v3/pay/transactions/out-trade-no/<out_trade_no>")]
#[serde(rename_all = "camelCase")]
pub struct QueryCamelCase {
    pub out_trade_no: String,
    pub mchid: String,
    pub sub_mchid: Option<String>,
}

fn main() {}
