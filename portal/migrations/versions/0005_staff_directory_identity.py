"""staff directory sign-in: a member's directory identity is the issuer and subject together

Revision ID: 0005
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0003"
branch_labels = None
depends_on = None

# 0003 made oidc_subject unique on its own, without a name: name it to drop it.
NAMING = {"uq": "uq_%(table_name)s_%(column_0_name)s"}


def _subject_constraint() -> str:
    if op.get_bind().dialect.name == "postgresql":
        return "staff_members_oidc_subject_key"
    return "uq_staff_members_oidc_subject"


def upgrade() -> None:
    with op.batch_alter_table("staff_members", naming_convention=NAMING) as batch:
        batch.add_column(sa.Column("oidc_issuer", sa.String(255), nullable=True))
        batch.drop_constraint(_subject_constraint(), type_="unique")
        batch.create_unique_constraint(
            "uq_staff_members_oidc_identity", ["oidc_issuer", "oidc_subject"]
        )


def downgrade() -> None:
    with op.batch_alter_table("staff_members", naming_convention=NAMING) as batch:
        batch.drop_constraint("uq_staff_members_oidc_identity", type_="unique")
        batch.drop_column("oidc_issuer")
        batch.create_unique_constraint(_subject_constraint(), ["oidc_subject"])
