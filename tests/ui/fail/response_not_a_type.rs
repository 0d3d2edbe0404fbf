use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(GET, "v3/stocks/<stock_id>", response = "Stock")]
pub struct GetStock {
    pub stock_id: String,
}

#[wechat_endpoint(GET, "v3/stocks/<stock_id>", response)]
pub struct GetStockAgain {
    pub stock_id: String,
}

fn main() {}
