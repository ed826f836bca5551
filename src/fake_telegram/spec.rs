//! The Bot API's own description (`telegram-bot-api/api.json`), used to refuse any
//! request real Telegram would refuse. This is the schema: which methods and parameters
//! exist and which are required. What Telegram refuses beyond it is in `rules.rs`.

use std::collections::HashMap;
use std::path::Path;

use serde_json::{Map, Value};

#[derive(Debug, Clone)]
struct Parameter {
    name: String,
    required: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ApiSpec {
    /// Method names in lower case (Telegram ignores case) → parameters.
    methods: HashMap<String, Vec<Parameter>>,
}

#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("cannot read the Bot API description {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("the Bot API description {path} is not what we expect: {detail}")]
    Shape { path: String, detail: String },
}

impl ApiSpec {
    pub fn load(path: &Path) -> Result<ApiSpec, SpecError> {
        let text = std::fs::read_to_string(path)
            .map_err(|source| SpecError::Read { path: path.display().to_string(), source })?;
        let shape = |detail: &str| SpecError::Shape { path: path.display().to_string(), detail: detail.to_string() };
        let json: Value = serde_json::from_str(&text).map_err(|e| shape(&e.to_string()))?;
        let methods = json.get("methods").and_then(Value::as_object).ok_or_else(|| shape("no \"methods\" object"))?;
        let mut spec = ApiSpec::default();
        for (name, method) in methods {
            let fields = method.get("fields").and_then(Value::as_array).cloned().unwrap_or_default();
            let parameters = fields
                .iter()
                .filter_map(|f| {
                    Some(Parameter {
                        name: f.get("name")?.as_str()?.to_string(),
                        required: f.get("required").and_then(Value::as_bool).unwrap_or(false),
                    })
                })
                .collect();
            spec.methods.insert(name.to_lowercase(), parameters);
        }
        if spec.methods.is_empty() {
            return Err(shape("no methods described"));
        }
        Ok(spec)
    }

    /// The description shipped beside the project (`../shared/telegram-bot-api/api.json`).
    pub fn beside_project() -> Result<ApiSpec, SpecError> {
        ApiSpec::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/telegram-bot-api/api.json"))
    }

    /// Every reason real Telegram would refuse this request (empty when it is fine).
    pub fn violations(&self, method: &str, params: &Map<String, Value>) -> Vec<String> {
        let Some(parameters) = self.methods.get(&method.to_lowercase()) else {
            return vec![format!("unknown method {method}")];
        };
        let mut problems = Vec::new();
        for name in params.keys() {
            if !parameters.iter().any(|p| &p.name == name) {
                problems.push(format!("{method}: unknown parameter {name}"));
            }
        }
        for p in parameters.iter().filter(|p| p.required) {
            if params.get(&p.name).is_none_or(Value::is_null) {
                problems.push(format!("{method}: missing required parameter {}", p.name));
            }
        }
        problems
    }
}
