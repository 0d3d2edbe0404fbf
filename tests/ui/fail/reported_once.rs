use serde::Deserialize;
use wechat_endpoint::wechat_endpoint;

#[derive(Debug, Clone, Deserialize)]
pub struct Stock {
    pub stock_name: String,
}

#[derive(Debug, Deserialize)]
pub struct Page<T> {
    pub data: Vec<T>,
}

// A broken declaration still implements `Endpoint`: sending it and reading its response
// add nothing to the macro's one message for each mistake.
#[wechat_endpoint(GET, "v3/stocks/{stock_idd}", response = Stock)]
pub struct GetStock {
    pub stock_id: String,
}

#[wechat_endpoint(GET, "v3/items/{id}", response = Page<T>, idempotent = maybe)]
pub struct ListItems<'a, I: std::fmt::Display, T>
where
    T: Clone,
{
    pub id: &'a I,
    #[serde(skip)]
    pub item: std::marker::PhantomData<T>,
}

pub async fn stock_name(client: &wechat_endpoint::Client) -> Result<String, wechat_endpoint::Error> {
    let stock = client.send(&GetStock { stock_id: "1".into() }).await?;
    Ok(stock.stock_name)
}

pub async fn items(client: &wechat_endpoint::Client) -> Result<usize, wechat_endpoint::Error> {
    let page: Page<Stock> = client.send(&ListItems { id: &7, item: std::marker::PhantomData }).await?;
    Ok(page.data.len())
}

pub fn stock_name_blocking(client: &wechat_endpoint::blocking::Client) -> Result<String, wechat_endpoint::Error> {
    Ok(client.send(&GetStock { stock_id: "1".into() })?.stock_name)
}

fn main() {}
