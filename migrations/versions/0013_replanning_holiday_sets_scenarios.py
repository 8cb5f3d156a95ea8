"""replanning, holiday sets, scenarios: program.holiday_set and the scenario table

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 10:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.add_column(sa.Column('holiday_set', sa.String(length=32), nullable=True))
    op.create_table(
        'scenario',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('created_by', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('base_revision', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('plan', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("status IN ('open', 'applied')", name=op.f('ck_scenario_status_known')),
        sa.CheckConstraint('length(name) >= 1', name=op.f('ck_scenario_has_name')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_scenario_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario')),
    )
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.create_index('ix_scenario_program', ['program_id'], unique=False)


def downgrade():
    with op.batch_alter_table('scenario', schema=None) as batch_op:
        batch_op.drop_index('ix_scenario_program')
    op.drop_table('scenario')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_column('holiday_set')
