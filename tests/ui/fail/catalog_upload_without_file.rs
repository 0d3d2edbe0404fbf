// A media upload of the catalog declared without its file.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/merchant/media/upload")]
pub struct Upload {
    pub filename: String,
}

fn main() {}
