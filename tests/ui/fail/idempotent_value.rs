use wechat_endpoint::wechat_endpoint;

// `idempotent` alone, or `idempotent = true` / `idempotent = false`.
#[wechat_endpoint(POST, "v3/fixture/pay/transactions/jsapi", idempotent = "yes")]
pub struct JsapiPay {
    pub out_trade_no: String,
}

#[wechat_endpoint(POST, "v3/fixture/pay/transactions/native", idempotent = 1)]
pub struct NativePay {
    pub out_trade_no: String,
}

#[wechat_endpoint(POST, "v3/fixture/pay/transactions/app", idempotent =)]
pub struct AppPay {
    pub out_trade_no: String,
}

fn main() {}
