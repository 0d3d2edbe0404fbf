// Doc comments, derives, lint attributes and `cfg` on fields survive; a field removed
// by `cfg` takes no part.
use wechat_endpoint::{Endpoint, wechat_endpoint};

/// Deactivates a stock.
#[wechat_endpoint(POST, "v3/stocks/<stock_id>/deactivate")]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
#[must_use]
pub struct DeactivateStock {
    /// The stock.
    pub stock_id: String,
    /// The brand.
    #[allow(unused)]
    pub brand_id: String,
    #[cfg(any())]
    pub not_compiled: DoesNotExist,
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<DeactivateStock>();

fn main() {}
