// A member sent to the body that the operation takes in the query, and the reverse.
use wechat_endpoint::wechat_endpoint;

#[wechat_endpoint(POST, "v3/payscore/partner/permissions/assess-user-risk-level")]
pub struct AssessUserRisk {
    pub sub_mchid: String,
    #[wechat(query)]
    pub service_id: String,
    pub appid: String,
}

fn main() {}
