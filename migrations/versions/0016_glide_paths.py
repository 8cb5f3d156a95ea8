"""glide paths: each metric's path from the phase start to its gate target

A metric's target between a phase's start and its gate is a path (linear, s-curve, or
steps), stored as text (``planner.domain.metrics.Glide.text``); existing metrics keep the
linear path.

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-06 10:45:00

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0016"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("metric") as batch:
        batch.add_column(
            sa.Column("glide", sa.String(length=200), server_default="linear", nullable=False)
        )


def downgrade():
    with op.batch_alter_table("metric") as batch:
        batch.drop_column("glide")
