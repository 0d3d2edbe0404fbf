// A leading `/` is allowed, and `PATH_TEMPLATE` leaves it out.
use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(GET, "/v3/stocks/<stock_id>")]
pub struct WithSlash {
    pub stock_id: String,
}

#[wechat_endpoint(GET, "v3/stocks/<stock_id>")]
pub struct WithoutSlash {
    pub stock_id: String,
}

const _: () = {
    let (a, b) = (WithSlash::PATH_TEMPLATE.as_bytes(), WithoutSlash::PATH_TEMPLATE.as_bytes());
    assert!(a.len() == b.len());
    let mut i = 0;
    while i < a.len() {
        assert!(a[i] == b[i]);
        i += 1;
    }
};

fn main() {}
