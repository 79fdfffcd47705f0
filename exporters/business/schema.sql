-- A sample of the platform's PostgreSQL schema: the tables the business collector's queries read.
-- Used by the tests (loaded into a throwaway cluster) and as the contract with the backend team: a column the
-- queries need is named here. Amounts in SOL are numeric (exact); on-chain fees are integer lamports.

CREATE TABLE users (
    id              bigserial PRIMARY KEY,
    wallet_address  text NOT NULL UNIQUE,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_active_at  timestamptz
);

CREATE TABLE tokens (
    id              bigserial PRIMARY KEY,
    mint_address    text NOT NULL UNIQUE,
    symbol          text NOT NULL,
    creator_id      bigint NOT NULL REFERENCES users (id),
    market_cap_sol  numeric(30, 9) NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    graduated_at    timestamptz  -- bonding curve completed, listed on a DEX
);

CREATE TABLE trades (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id),
    token_id        bigint NOT NULL REFERENCES tokens (id),
    side            text NOT NULL CHECK (side IN ('buy', 'sell')),
    amount_sol      numeric(30, 9) NOT NULL CHECK (amount_sol >= 0),
    status          text NOT NULL CHECK (status IN ('success', 'failed')),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE transactions (
    id              bigserial PRIMARY KEY,
    signature       text NOT NULL UNIQUE,
    type            text NOT NULL,  -- trade, create_token, graduate, withdraw...
    status          text NOT NULL CHECK (status IN ('success', 'failed')),
    fee_lamports    bigint NOT NULL DEFAULT 0 CHECK (fee_lamports >= 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE revenue (
    id              bigserial PRIMARY KEY,
    source          text NOT NULL,  -- trading_fee, listing_fee...
    amount_sol      numeric(30, 9) NOT NULL CHECK (amount_sol >= 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX users_last_active_at ON users (last_active_at);
CREATE INDEX trades_created_at ON trades (created_at);
