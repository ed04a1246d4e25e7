//! The error table: one message per code, parameters filled, codes stable on the wire.
use super::*;

#[test]
fn every_code_has_exactly_one_message() {
    let samples = [
        AppError::IncorrectCredentials,
        AppError::too_many_attempts(3),
        AppError::Busy,
        AppError::FieldRequired {
            field: Field::Email,
        },
        AppError::FieldTooLong {
            field: Field::Email,
            max: 254,
        },
        AppError::EmailInvalid,
        AppError::PasswordTooShort { min: 8 },
        AppError::SetupAlreadyDone,
        AppError::SignInRequired,
        AppError::NoWorkspace,
        AppError::RoleForbidden {
            action: Permission::ManageMembers,
        },
        AppError::OwnRole,
        AppError::LastOwner,
        AppError::ResetOtherWorkspaces,
        AppError::ResetAboveRole,
        AppError::ResetOwnPassword,
        AppError::AlreadyMember,
        AppError::RoleInvalid,
        AppError::CurrentPasswordWrong,
        AppError::TimeZoneInvalid,
        AppError::NotFound,
        AppError::BadRequest,
        AppError::Internal,
        AppError::StateInvalid,
        AppError::StateExpired,
        AppError::SessionChanged,
        AppError::PermissionsDeclined {
            provider: Provider::Instagram,
        },
        AppError::NoPages,
        AppError::PageRoleInsufficient,
        AppError::ProviderUnavailable {
            provider: Provider::Facebook,
        },
        AppError::NetworkError {
            provider: Provider::Facebook,
        },
        AppError::RateLimited {
            provider: Provider::Threads,
        },
        AppError::PolicyBlocked,
        AppError::ProviderError {
            provider: Provider::Facebook,
        },
        AppError::ProviderNotConfigured,
        AppError::SignedRequestInvalid,
        AppError::RequestTooLarge,
        AppError::DataDeletionNotFound,
    ];
    for error in samples {
        let matches = MESSAGES
            .iter()
            .filter(|(code, _)| *code == error.code())
            .count();
        assert_eq!(matches, 1, "code {}", error.code());
        assert!(
            !error.message().contains('{'),
            "unfilled: {}",
            error.message()
        );
    }
}

#[test]
fn every_connect_error_has_a_next_step_and_parses_from_its_code() {
    for code in NEXT_STEPS
        .iter()
        .filter(|(_, next)| next.is_some())
        .map(|(code, _)| *code)
    {
        let error = AppError::from_connect_code(code, None).unwrap();
        assert_eq!(error.code(), code);
        assert!(error.next_step().is_some(), "{code}");
    }
    assert_eq!(
        AppError::from_connect_code("internal", None),
        Some(AppError::Internal)
    );
    assert_eq!(
        AppError::from_connect_code("role_forbidden", None).unwrap().message(),
        "Your role doesn't allow connecting Meta accounts. Ask a workspace owner or admin, or have your role updated."
    );
    assert_eq!(AppError::from_connect_code("too_many_attempts", None), None);
    assert_eq!(
        AppError::from_connect_code("provider_unavailable", Some("instagram"))
            .unwrap()
            .message(),
        "Instagram is temporarily unavailable."
    );
    assert_eq!(
        AppError::from_connect_code("network_error", Some("myspace")),
        None
    );
}

#[test]
fn the_page_role_message_names_the_pages() {
    assert_eq!(
        AppError::page_role_message(&["Numbers Nook".into()]),
        "Numbers Nook can't be connected: your role on this Page doesn't allow publishing. Ask a Page admin for full or partial control."
    );
    assert!(
        AppError::page_role_message(&["A".into(), "B".into(), "C".into()])
            .starts_with("A, B and C can't be connected: your role on these Pages")
    );
}

#[test]
fn throttle_message_counts_minutes() {
    assert_eq!(
        AppError::too_many_attempts(14).message(),
        "Too many sign-in attempts. Try again in 14 minutes."
    );
    assert_eq!(
        AppError::too_many_attempts(1).message(),
        "Too many sign-in attempts. Try again in 1 minute."
    );
}

#[test]
fn role_message_names_the_action() {
    assert_eq!(
        AppError::RoleForbidden { action: Permission::ConnectAccounts }.message(),
        "Your role doesn't allow connecting Meta accounts. Ask a workspace owner or admin, or have your role updated."
    );
}

#[test]
fn errors_round_trip_as_code_and_parameters_only() {
    let error = AppError::FieldTooLong {
        field: Field::WorkspaceName,
        max: 100,
    };
    let json = serde_json::to_string(&error).unwrap();
    assert_eq!(
        json,
        r#"{"code":"field_too_long","field":"workspace_name","max":100}"#
    );
    assert_eq!(serde_json::from_str::<AppError>(&json).unwrap(), error);
}

#[test]
fn each_code_is_the_one_its_json_carries() {
    for (code, _) in MESSAGES {
        let parsed: Result<AppError, _> = serde_json::from_value(serde_json::json!({
            "code": code, "minutes": 1, "field": "email", "max": 1, "min": 1,
            "action": "publishing", "provider": "facebook"
        }));
        assert_eq!(parsed.map(|e| e.code()).ok(), Some(*code));
    }
    assert_eq!(
        NEXT_STEPS.iter().filter(|(_, next)| next.is_some()).count(),
        14
    );
}

#[test]
fn scope_rejected_names_facebook_for_instagram_as_the_article_does_and_threads_for_threads() {
    let instagram = AppError::from_connect_code("scope_rejected", Some("instagram")).unwrap();
    assert_eq!(
        instagram.message(),
        "Facebook didn't grant the permissions we need to publish."
    );
    let threads = AppError::from_connect_code("scope_rejected", Some("threads")).unwrap();
    assert_eq!(
        threads.message(),
        "Threads didn't grant the permissions we need to publish."
    );
    assert_eq!(
        AppError::from_connect_code("instagram_no_business_account", Some("instagram"))
            .unwrap()
            .message(),
        "Connecting Instagram requires a Business or Creator account."
    );
}
