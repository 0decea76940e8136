//! The tables, one schema for both backends, portable SQL types only (STYLE.md section 2.3).
//! Written by hand to match `migrations/*/`; `tests/migrations.rs` checks the two agree.
//! Long file: one `table!` per table of the database, in one place as diesel expects.
#![expect(
    missing_docs,
    reason = "diesel generates a module per table; the columns are described in the migrations"
)]

diesel::table! {
    districts (id) {
        id -> Text,
        code -> Text,
        name_kk -> Text,
        name_ru -> Text,
        name_en -> Text,
        kind -> Text,
        population -> BigInt,
        boundary_json -> Text,
        min_lat -> Double,
        max_lat -> Double,
        min_lon -> Double,
        max_lon -> Double,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mobile_groups (id) {
        id -> Text,
        name -> Text,
        base_address -> Text,
        base_lat -> Double,
        base_lon -> Double,
        shift_start_min -> Integer,
        shift_end_min -> Integer,
        max_checks_per_shift -> Integer,
        active_days_mask -> Integer,
        is_active -> Bool,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mobile_group_districts (mobile_group_id, district_id) {
        mobile_group_id -> Text,
        district_id -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        login -> Text,
        full_name -> Text,
        role -> Text,
        password_hash -> Text,
        is_active -> Bool,
        failed_logins -> Integer,
        locked_until -> Nullable<Timestamp>,
        preferred_lang -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    mobile_group_members (user_id) {
        user_id -> Text,
        mobile_group_id -> Text,
    }
}

diesel::table! {
    persons (id) {
        id -> Text,
        iin -> Text,
        last_name -> Text,
        first_name -> Text,
        middle_name -> Nullable<Text>,
        birth_date -> Date,
        sex -> Text,
        phone -> Nullable<Text>,
        article -> Text,
        severity -> Text,
        conviction_date -> Date,
        release_date -> Nullable<Date>,
        expungement_date -> Nullable<Date>,
        prior_convictions -> Integer,
        supervision_kind -> Text,
        supervision_start -> Date,
        restrictions -> Nullable<Text>,
        curfew_start_min -> Nullable<Integer>,
        curfew_end_min -> Nullable<Integer>,
        risk_tier -> Text,
        risk_tier_reason -> Nullable<Text>,
        status -> Text,
        home_address -> Text,
        home_lat -> Double,
        home_lon -> Double,
        district_id -> Text,
        employer -> Nullable<Text>,
        work_address -> Nullable<Text>,
        work_lat -> Nullable<Double>,
        work_lon -> Nullable<Double>,
        search_text -> Text,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    contact_standards (risk_tier, check_kind) {
        risk_tier -> Text,
        check_kind -> Text,
        max_interval_days -> Integer,
        version -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    audit_entries (id) {
        id -> Text,
        at -> Timestamp,
        user_id -> Nullable<Text>,
        user_login -> Text,
        action -> Text,
        entity_kind -> Text,
        entity_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        details -> Nullable<Text>,
        person_set_id -> Nullable<Text>,
    }
}

diesel::table! {
    settings (key) {
        key -> Text,
        value -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plans (id) {
        id -> Text,
        from_date -> Date,
        days -> Integer,
        group_ids -> Text,
        status -> Text,
        seed -> BigInt,
        version -> Integer,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    checks (id) {
        id -> Text,
        plan_id -> Nullable<Text>,
        person_id -> Text,
        kind -> Text,
        address -> Text,
        lat -> Double,
        lon -> Double,
        district_id -> Text,
        due_date -> Date,
        allowed_days -> Text,
        window_start_min -> Integer,
        window_end_min -> Integer,
        service_min -> Integer,
        priority -> BigInt,
        status -> Text,
        mobile_group_id -> Nullable<Text>,
        planned_date -> Nullable<Date>,
        position -> Nullable<Integer>,
        planned_arrival_min -> Nullable<Integer>,
        unplaced_reason -> Nullable<Text>,
        pinned -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    visits (id) {
        id -> Text,
        check_id -> Nullable<Text>,
        person_id -> Text,
        kind -> Text,
        officer_id -> Text,
        mobile_group_id -> Nullable<Text>,
        outcome -> Text,
        violation_kind -> Nullable<Text>,
        notes -> Nullable<Text>,
        device_at -> Timestamp,
        server_at -> Timestamp,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        accuracy_m -> Nullable<Double>,
        distance_m -> Nullable<Double>,
        far_from_address -> Bool,
        evidence -> Text,
        check_was_cancelled -> Bool,
        ad_hoc -> Bool,
        payload -> Text,
    }
}

diesel::table! {
    follow_ups (id) {
        id -> Text,
        person_id -> Text,
        visit_id -> Nullable<Text>,
        reason -> Text,
        status -> Text,
        assigned_to -> Nullable<Text>,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        closed_at -> Nullable<Timestamp>,
        cause_count -> Integer,
        last_cause_at -> Timestamp,
        assigned_at -> Nullable<Timestamp>,
        outcome -> Nullable<Text>,
        closed_by -> Nullable<Text>,
        version -> Integer,
    }
}

diesel::table! {
    offences (id) {
        id -> Text,
        offence_date -> Date,
        district_id -> Text,
        lat -> Nullable<Double>,
        lon -> Nullable<Double>,
        article -> Text,
        severity -> Text,
        offence_type -> Text,
        place -> Text,
        suspect_iin -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    audit_person_sets (id) {
        id -> Text,
    }
}

diesel::table! {
    audit_person_set_members (set_id, person_id) {
        set_id -> Text,
        person_id -> Text,
    }
}

diesel::table! {
    plan_jobs (id) {
        id -> Text,
        owner_id -> Text,
        from_date -> Date,
        days -> Integer,
        group_ids -> Text,
        status -> Text,
        phase -> Text,
        phase_started_at -> Timestamp,
        time_limit_ms -> BigInt,
        started_at -> Timestamp,
        heartbeat_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        server -> Text,
        plan_id -> Nullable<Text>,
        error -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Nullable<Text>,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        ended_reason -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
        state -> Text,
    }
}

diesel::table! {
    sign_in_throttle (ip) {
        ip -> Text,
        failures -> Integer,
        window_start -> Timestamp,
    }
}

diesel::table! {
    road_networks (id) {
        id -> Text,
        source_name -> Text,
        osm_timestamp -> Nullable<Timestamp>,
        south -> Double,
        west -> Double,
        north -> Double,
        east -> Double,
        node_count -> BigInt,
        edge_count -> BigInt,
        address_count -> BigInt,
        imported_at -> Timestamp,
        data -> Binary,
    }
}

diesel::table! {
    plan_travel (plan_id) {
        plan_id -> Text,
        source -> Text,
        network_name -> Nullable<Text>,
        network_imported_at -> Nullable<Timestamp>,
        points -> Integer,
        fell_back -> Integer,
        reasons -> Text,
    }
}

diesel::table! {
    plan_routes (plan_id, mobile_group_id, day) {
        plan_id -> Text,
        mobile_group_id -> Text,
        day -> Date,
        distance_m -> BigInt,
        driving_s -> BigInt,
    }
}

diesel::table! {
    plan_legs (plan_id, check_id) {
        plan_id -> Text,
        check_id -> Text,
        mobile_group_id -> Text,
        day -> Date,
        from_check_id -> Nullable<Text>,
        driving_s -> BigInt,
        distance_m -> BigInt,
        road_class -> Nullable<Text>,
    }
}

diesel::table! {
    coverage_months (month) {
        month -> Date,
        basis -> Text,
        stale -> Bool,
        version -> BigInt,
    }
}

diesel::table! {
    coverage_month_districts (month, district_id) {
        month -> Date,
        district_id -> Text,
        home_covered -> BigInt,
        home_overdue -> BigInt,
        home_not_yet_due -> BigInt,
        work_covered -> BigInt,
        work_overdue -> BigInt,
        work_not_yet_due -> BigInt,
        persons_covered -> BigInt,
        persons_overdue -> BigInt,
        persons_not_yet_due -> BigInt,
    }
}

diesel::joinable!(coverage_month_districts -> coverage_months (month));
diesel::joinable!(audit_person_set_members -> audit_person_sets (set_id));
diesel::joinable!(audit_entries -> audit_person_sets (person_set_id));
diesel::joinable!(mobile_group_districts -> mobile_groups (mobile_group_id));
diesel::joinable!(mobile_group_districts -> districts (district_id));
diesel::joinable!(mobile_group_members -> users (user_id));
diesel::joinable!(mobile_group_members -> mobile_groups (mobile_group_id));
diesel::joinable!(persons -> districts (district_id));
diesel::joinable!(checks -> plans (plan_id));
diesel::joinable!(checks -> persons (person_id));
diesel::joinable!(follow_ups -> persons (person_id));

diesel::allow_tables_to_appear_in_same_query!(
    districts,
    mobile_groups,
    mobile_group_districts,
    users,
    mobile_group_members,
    persons,
    contact_standards,
    audit_entries,
    settings,
    plans,
    checks,
    visits,
    follow_ups,
    offences,
    sessions,
    sign_in_throttle,
    audit_person_sets,
    audit_person_set_members,
    road_networks,
    plan_jobs,
    coverage_months,
    coverage_month_districts,
);
