"""staff back office: accounts, grants, sign-in failures, status history, audit, counts, previews

Revision ID: 0003
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

import portal.models

revision = "0003"
down_revision = "0001"
branch_labels = ("staff",)
depends_on = None

UTC_TIME = portal.models.UTCDateTime(timezone=True)

# The audit trail is append-only in the database too, not only in the application.
POSTGRES_GUARD = """
CREATE FUNCTION audit_events_are_final() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit events cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_events_final BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_are_final();
"""
SQLITE_GUARDS = [
    f"""CREATE TRIGGER audit_events_no_{verb.lower()} BEFORE {verb} ON audit_events
    BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed or deleted'); END;"""
    for verb in ("UPDATE", "DELETE")
]


def upgrade() -> None:
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("display_name", sa.String(100), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=True),
        sa.Column("oidc_subject", sa.String(255), nullable=True, unique=True),
        sa.Column("is_admin", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
        sa.Column("last_sign_in_at", UTC_TIME, nullable=True),
    )
    op.create_table(
        "staff_grants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "staff_id",
            sa.Integer(),
            sa.ForeignKey("staff_members.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("procedure_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.UniqueConstraint("staff_id", "procedure_id"),
    )
    op.create_index("ix_staff_grants_staff_id", "staff_grants", ["staff_id"])
    op.create_table(
        "staff_sign_in_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("ip_address", sa.String(64), nullable=False),
        sa.Column("failed_at", UTC_TIME, nullable=False),
    )
    for column in ("email", "ip_address", "failed_at"):
        op.create_index(f"ix_staff_sign_in_failures_{column}", "staff_sign_in_failures", [column])
    op.create_table(
        "submission_status_changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("submission_id", sa.Integer(), sa.ForeignKey("submissions.id"), nullable=False),
        sa.Column("from_status", sa.String(32), nullable=False),
        sa.Column("to_status", sa.String(32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("message_to_applicant", sa.Text(), nullable=True),
        sa.Column("staff_id", sa.Integer(), sa.ForeignKey("staff_members.id"), nullable=False),
        sa.Column("changed_at", UTC_TIME, nullable=False),
    )
    op.create_index(
        "ix_submission_status_changes_submission_id", "submission_status_changes", ["submission_id"]
    )
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", UTC_TIME, nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("procedure_id", sa.String(64), nullable=True),
        sa.Column("submission_id", sa.Integer(), nullable=True),
        sa.Column("reference_number", sa.String(16), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("ip_address", sa.String(64), nullable=True),
        sa.Column("user_agent", sa.String(300), nullable=True),
    )
    for column in ("at", "action", "procedure_id", "submission_id"):
        op.create_index(f"ix_audit_events_{column}", "audit_events", [column])
    op.create_table(
        "submission_daily_counts",
        sa.Column("procedure_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("status", sa.String(32), primary_key=True),
        sa.Column("count", sa.Integer(), nullable=False),
    )
    op.create_table(
        "staff_preview_drafts",
        sa.Column("token", sa.String(43), primary_key=True),
        sa.Column(
            "staff_id",
            sa.Integer(),
            sa.ForeignKey("staff_members.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("source", sa.Text(), nullable=False),
        sa.Column("created_at", UTC_TIME, nullable=False),
    )
    op.create_index("ix_staff_preview_drafts_created_at", "staff_preview_drafts", ["created_at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_GUARD)
    elif op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_GUARDS:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_events_final ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_are_final()")
    for table in (
        "staff_preview_drafts",
        "submission_daily_counts",
        "audit_events",
        "submission_status_changes",
        "staff_sign_in_failures",
        "staff_grants",
        "staff_members",
    ):
        op.drop_table(table)
