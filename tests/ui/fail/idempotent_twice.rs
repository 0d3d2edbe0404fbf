use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/fixture/pay/transactions/jsapi", idempotent, idempotent = false)]
pub struct JsapiPay {
    pub out_trade_no: String,
}

fn main() {}
