//! SeaORM entities: plain table mappings, no logic. Business rules live in `services`.

pub mod audit_event;
pub mod installation;
pub mod login_throttle;
pub mod membership;
pub mod sandbox;
pub mod session;
pub mod user;
pub mod workspace;
