//! The sandbox's tables (made by its own migrations, `migrations/`): settings, issued codes,
//! issued tokens (SHA-256 digests only), grants, failure plans, the call log and what was
//! published (`media`).

pub mod setting {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_settings")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub key: String,
        pub value: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod code {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_codes")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub digest: String,
        pub app_id: String,
        pub user_id: String,
        pub redirect_uri: String,
        pub code_challenge: Option<String>,
        pub expires_at: i64,
        pub used: bool,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod token {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_tokens")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub digest: String,
        /// `USER`, `PAGE` or `APP`.
        pub kind: String,
        pub app_id: String,
        pub user_id: Option<String>,
        pub page_id: Option<String>,
        pub long_lived: bool,
        pub issued_at: i64,
        /// 0: never expires.
        pub expires_at: i64,
        /// Set when Meta would now refuse the token (190 with this subcode): password change,
        /// logout, app removal.
        pub invalidated_subcode: Option<i32>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod grant {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_grants")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub app_id: String,
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: String,
        /// JSON array of permission names.
        pub granted: String,
        pub declined: String,
        /// JSON array of the Page ids the user shared.
        pub page_ids: String,
        pub granted_at: i64,
        pub data_access_expires_at: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod failure {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_failures")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// A path under `/sandbox`, where `*` matches any run of characters.
        pub path_pattern: String,
        /// The failure, as JSON (`crate::failures::Failure`).
        pub failure: String,
        /// How many more calls fail.
        pub remaining: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod call {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_calls")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        /// Sandbox time, unix seconds.
        pub at: i64,
        pub method: String,
        /// The path under `/sandbox`, without the query.
        pub path: String,
        pub product: String,
        pub token_fingerprint: Option<String>,
        pub code_fingerprint: Option<String>,
        pub status: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod media {
    use sea_orm::entity::prelude::*;

    /// What was published, or is being prepared: a Page post or photo, an Instagram or Threads
    /// media container (and, once published, the media it became).
    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "meta_sandbox_media")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub id: String,
        /// `facebook`, `instagram` or `threads`: whose API made it.
        pub product: String,
        /// The Page, Instagram professional account or Threads profile it belongs to.
        pub owner_id: String,
        /// `post`, `photo` or `container`.
        pub kind: String,
        /// `IN_PROGRESS`, `FINISHED` or `PUBLISHED` (a Page post is published at once).
        pub status: String,
        pub text: Option<String>,
        pub image_url: Option<String>,
        pub created_at: i64,
        /// When a container is ready to publish.
        pub ready_at: i64,
        /// The media a published container became.
        pub published_id: Option<String>,
        pub published_at: Option<i64>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
