// `idempotent` alone, `idempotent = true` and `idempotent = false`, anywhere after the
// method.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/fixture/pay/transactions/jsapi", idempotent)]
pub struct JsapiPay {
    pub out_trade_no: String,
}

#[wechat_endpoint(POST, idempotent = true, "v3/fixture/pay/transactions/native", response = String)]
pub struct NativePay {
    pub out_trade_no: String,
}

#[wechat_endpoint(DELETE, "v3/stocks/<stock_id>", idempotent = false)]
pub struct DeleteStock {
    pub stock_id: String,
}

#[wechat_endpoint(GET, "v3/stocks/<stock_id>")]
pub struct GetStock {
    pub stock_id: String,
}

const _: () = assert!(matches!(JsapiPay::IDEMPOTENT, Some(true)));
const _: () = assert!(matches!(NativePay::IDEMPOTENT, Some(true)));
const _: () = assert!(matches!(DeleteStock::IDEMPOTENT, Some(false)));
const _: () = assert!(GetStock::IDEMPOTENT.is_none());

fn main() {}
