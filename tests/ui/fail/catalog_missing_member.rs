// Every required member is declared; skipped fields do not count.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(PATCH, "v3/marketing/busifavor/stocks/<stock_id>/budget")]
pub struct UpdateBudget {
    pub stock_id: String,
    pub target_max_coupons: Option<u32>,
    #[serde(skip)]
    pub modify_budget_request_no: String,
}

#[wechat_endpoint(GET, "v3/pay/transactions/out-trade-no/<out_trade_no>")]
pub struct QueryByOutTradeNo {
    pub out_trade_no: String,
}

fn main() {}
