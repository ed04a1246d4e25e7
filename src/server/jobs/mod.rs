//! Background work that runs beside the server, one job a file.

pub mod housekeeping;
pub mod maintenance;
pub mod publisher;
pub mod revocation_relay;
