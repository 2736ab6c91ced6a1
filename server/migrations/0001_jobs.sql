-- quotient job store, version 1: jobs with their compressed requests, leases and results, and
-- every incumbent for SSE replay. Applied by `quotient serve --store postgres://...` and
-- `quotient worker` at start-up (sqlx migrations, under an advisory lock).

CREATE TABLE jobs (
    id                  text PRIMARY KEY,
    tenant              text,
    family              text NOT NULL,
    instance            text NOT NULL,
    solver              text NOT NULL,
    -- The request as received (instance text, format, options): gzip-compressed JSON.
    request             bytea NOT NULL,
    request_bytes       bigint NOT NULL,
    status              text NOT NULL
        CHECK (status IN ('queued', 'running', 'done', 'cancelled', 'failed')),
    created_at          timestamptz NOT NULL DEFAULT clock_timestamp(),
    first_started_at    timestamptz,
    -- Start of the current (or last) attempt.
    started_at          timestamptz,
    finished_at         timestamptz,
    cancel_requested_at timestamptz,
    attempts            integer NOT NULL DEFAULT 0,
    -- The claim: a token per attempt, the worker's name, and the lease it renews.
    claim_token         text,
    worker              text,
    lease_until         timestamptz,
    improvements        bigint NOT NULL DEFAULT 0,
    -- The latest incumbent (objective, bound, elapsed_ms, source, seq).
    best                jsonb,
    -- Milliseconds solved by earlier attempts, and by the current one at its last heartbeat.
    solved_ms           bigint NOT NULL DEFAULT 0,
    run_ms              bigint NOT NULL DEFAULT 0,
    -- The best solution stored so far (gzip-compressed JSON solution object): the warm start
    -- of the next attempt when a worker is lost.
    warm_objective      double precision,
    warm_solution       bytea,
    result              jsonb,
    error               jsonb
);

CREATE INDEX jobs_open ON jobs (created_at) WHERE status IN ('queued', 'running');
CREATE INDEX jobs_finished ON jobs (finished_at) WHERE finished_at IS NOT NULL;
CREATE INDEX jobs_tenant_open ON jobs (tenant) WHERE status IN ('queued', 'running');

CREATE TABLE incumbents (
    job_id     text NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    seq        bigint NOT NULL,
    objective  double precision NOT NULL,
    bound      double precision,
    elapsed_ms bigint NOT NULL,
    source     text NOT NULL,
    PRIMARY KEY (job_id, seq)
);
