//! Query parameters that pages and the API read alike.

use std::collections::HashMap;

use crate::service::audit::AuditFilter;

/// The audit trail's filter from query parameters (empty ones ignored).
pub fn audit_filter(params: &HashMap<String, String>) -> AuditFilter {
    let get = |name: &str| params.get(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    AuditFilter { actor: get("actor"), action: get("action"), from: get("from"), to: get("to") }
}
