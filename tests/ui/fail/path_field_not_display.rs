use wechat_endpoint::wechat_endpoint;

pub struct StockId(pub u64);

#[wechat_endpoint(GET, "v3/stocks/<stock_id>/<name>")]
pub struct GetStock<'a> {
    pub stock_id: StockId,
    pub name: &'a Vec<u8>,
}

fn main() {}
