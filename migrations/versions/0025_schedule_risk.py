"""schedule risk analysis: three-point durations, risk delays, uncertainty ranges

Revision ID: 0025
Revises: 0022
Create Date: 2026-12-06 14:00:00

Work items get an optimistic and a pessimistic duration and a distribution; risks get the
delay they add to their linked items when they occur (days or percent), an explicit
probability and a residual delay; ``uncertainty_range`` holds the quick ranges of a program,
a phase or a workstream (low/high percent, shape) and a workstream's correlation. All new
columns are empty for existing rows: nothing changes until someone gives ranges.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duration_optimistic', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duration_pessimistic', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('duration_shape', sa.String(length=12), nullable=True))
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('schedule_delay_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('schedule_delay_pct', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('probability_pct', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('residual_delay_days', sa.Integer(), nullable=True))
    op.create_table(
        'uncertainty_range',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('scope', sa.String(length=12), nullable=False),
        sa.Column('scope_key', sa.String(length=64), nullable=False),
        sa.Column('low_pct', sa.Float(), nullable=False),
        sa.Column('high_pct', sa.Float(), nullable=False),
        sa.Column('shape', sa.String(length=12), nullable=False),
        sa.Column('correlation', sa.Float(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("scope IN ('program', 'phase', 'workstream')", name=op.f('ck_uncertainty_range_scope_known')),
        sa.CheckConstraint("shape IN ('triangular', 'pert')", name=op.f('ck_uncertainty_range_shape_known')),
        sa.CheckConstraint('low_pct <= 0 AND high_pct >= 0', name=op.f('ck_uncertainty_range_around_likely')),
        sa.CheckConstraint('correlation >= 0 AND correlation <= 1', name=op.f('ck_uncertainty_range_correlation_range')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_uncertainty_range_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_uncertainty_range')),
        sa.UniqueConstraint('program_id', 'scope', 'scope_key', name=op.f('uq_uncertainty_range_program_id_scope_scope_key')),
    )


def downgrade():
    op.drop_table('uncertainty_range')
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.drop_column('residual_delay_days')
        batch_op.drop_column('probability_pct')
        batch_op.drop_column('schedule_delay_pct')
        batch_op.drop_column('schedule_delay_days')
    with op.batch_alter_table('work_item', schema=None) as batch_op:
        batch_op.drop_column('duration_shape')
        batch_op.drop_column('duration_pessimistic')
        batch_op.drop_column('duration_optimistic')
