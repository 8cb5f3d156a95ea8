"""Dependency lag units: a lag keeps the unit it was given in (MS Project semantics)

``dependency.lag_unit`` is ``d`` (working days), ``w`` (weeks of working days), ``pct``
(percent of the predecessor's duration) or ``ed`` (elapsed calendar days), with
``lag_amount`` in that unit; ``lag_days`` stays the working-day equivalent. Existing links
are working-day lags (``d``, no amount).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dependency', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('lag_unit', sa.String(length=3), server_default='d', nullable=False)
        )
        batch_op.add_column(sa.Column('lag_amount', sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            op.f('ck_dependency_lag_unit_known'), "lag_unit IN ('d', 'w', 'pct', 'ed')"
        )


def downgrade():
    with op.batch_alter_table('dependency', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_dependency_lag_unit_known'), type_='check')
        batch_op.drop_column('lag_amount')
        batch_op.drop_column('lag_unit')
