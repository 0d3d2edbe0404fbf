// `#[serde(...)]` attributes on a struct that does not derive serde itself: they shape
// the body and the query, and the struct compiles without them.
use std::collections::BTreeMap;

use wechat_endpoint::{Endpoint, wechat_endpoint};

#[wechat_endpoint(POST, "v3/stocks/<stock_id>/budget")]
#[serde(rename_all = "camelCase")]
#[derive(Debug, Clone, Default)]
pub struct UpdateBudget {
    #[serde(rename = "ignored_for_path_values")]
    pub stock_id: String,
    #[serde(rename = "brand")]
    pub brand_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remark: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "is_zero")]
    pub target_budget: u64,
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
    #[serde(skip)]
    pub local_note: String,
    #[serde(with = "as_text")]
    pub limit: u32,
    #[wechat(query)]
    #[serde(rename = "debug_mode", skip_serializing_if = "std::ops::Not::not")]
    pub debug: bool,
}

fn is_zero(value: &u64) -> bool {
    *value == 0
}

mod as_text {
    pub fn serialize<S: serde::Serializer>(value: &u32, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }
}

const fn endpoint<E: Endpoint>() {}
const _: () = endpoint::<UpdateBudget>();

pub fn local_note(request: &UpdateBudget) -> &str {
    &request.local_note
}

fn main() {}
