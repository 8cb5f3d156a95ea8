"""steering review keeps the program's pulse (plan, gates, metrics) with its snapshot

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 11:00:00

Reviews held before this revision have no pulse: their page says the plan's changes were
not recorded, rather than inventing them.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('steering_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('plan_pulse', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('steering_review', schema=None) as batch_op:
        batch_op.drop_column('plan_pulse')
