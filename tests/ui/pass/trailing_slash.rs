use serde::Deserialize;
use wechat_endpoint::wechat_endpoint;

#[derive(Deserialize)]
pub struct Applied {
    pub applyment_id: u64,
}

#[wechat_endpoint(POST, "v3/fixture/applyment4sub/applyment/", response = Applied)]
pub struct Apply {
    pub business_code: String,
    #[wechat(encrypt)]
    pub id_card_name: String,
}

fn main() {
    use wechat_endpoint::{Endpoint, TargetWriter};
    let apply = Apply { business_code: "1".into(), id_card_name: "张三".into() };
    let mut target = String::new();
    apply.write_target(&mut TargetWriter::new(&mut target, "/")).unwrap();
    assert_eq!(target, "/v3/fixture/applyment4sub/applyment/");
}
