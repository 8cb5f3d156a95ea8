"""adoption: dimensions (team, region, CRM module) on metrics, usage-log imports, training

Issue #24. New tables only (nothing existing changes):

- ``dimension_value``: a program's teams, regions and CRM modules (typed values; ``users``
  is the roll-up weight of a team or region);
- ``user_team``: the small lookup from a CRM user name to a team and region;
- ``cell_reading`` / ``cell_target``: a metric's readings and phase targets per cell
  (team × region × module, "" = all);
- ``usage_mapping`` (the saved column mapping), ``usage_import`` (one row per imported file,
  unique checksum per program: the same file twice adds nothing) and ``usage_activity``
  (events per program, week, user and module, the identity of imported rows);
- ``training_session``: sessions per team and module with attendance;
- ``interview_answer``: the answers and note of an interview per indicator.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('dimension_value',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('label_zh', sa.String(length=200), nullable=True),
    sa.Column('users', sa.Integer(), nullable=True),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('team', 'region', 'module')", name=op.f('ck_dimension_value_kind_known')),
    sa.CheckConstraint('users IS NULL OR users >= 0', name=op.f('ck_dimension_value_users_not_negative')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_dimension_value_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dimension_value')),
    sa.UniqueConstraint('program_id', 'kind', 'key', name=op.f('uq_dimension_value_program_id_kind_key'))
    )
    op.create_table('training_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=64), nullable=False),
    sa.Column('module', sa.String(length=64), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('trainer', sa.String(length=120), nullable=False),
    sa.Column('invited', sa.Integer(), nullable=False),
    sa.Column('attended', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('attended <= invited', name=op.f('ck_training_session_attended_within_invited')),
    sa.CheckConstraint('invited >= 0 AND attended >= 0', name=op.f('ck_training_session_counts_not_negative')),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_training_session_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_session'))
    )
    op.create_table('usage_activity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('week', sa.Date(), nullable=False),
    sa.Column('user_name', sa.String(length=254), nullable=False),
    sa.Column('module', sa.String(length=64), nullable=False),
    sa.Column('events', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_usage_activity_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_activity')),
    sa.UniqueConstraint('program_id', 'week', 'user_name', 'module', name=op.f('uq_usage_activity_program_id_week_user_name_module'))
    )
    op.create_table('usage_import',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('checksum', sa.String(length=64), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('preset', sa.String(length=40), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('unmapped_users', sa.Integer(), nullable=False),
    sa.Column('first_day', sa.Date(), nullable=True),
    sa.Column('last_day', sa.Date(), nullable=True),
    sa.Column('imported_at', sa.DateTime(), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_usage_import_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_import')),
    sa.UniqueConstraint('program_id', 'checksum', name=op.f('uq_usage_import_program_id_checksum'))
    )
    op.create_table('usage_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('preset', sa.String(length=40), nullable=False),
    sa.Column('user_column', sa.String(length=120), nullable=False),
    sa.Column('date_column', sa.String(length=120), nullable=False),
    sa.Column('object_column', sa.String(length=120), nullable=False),
    sa.Column('action_column', sa.String(length=120), nullable=False),
    sa.Column('date_order', sa.String(length=10), nullable=False),
    sa.Column('login_actions', sa.String(length=300), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_usage_mapping_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_usage_mapping')),
    sa.UniqueConstraint('program_id', name=op.f('uq_usage_mapping_program_id'))
    )
    op.create_table('user_team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('user_name', sa.String(length=254), nullable=False),
    sa.Column('team', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_user_team_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_team')),
    sa.UniqueConstraint('program_id', 'user_name', name=op.f('uq_user_team_program_id_user_name'))
    )
    op.create_table('cell_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('team', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('module', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Double(), nullable=False),
    sa.Column('users', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('usage_import_id', sa.Integer(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('users >= 0', name=op.f('ck_cell_reading_users_not_negative')),
    sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_cell_reading_metric_id_metric'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['usage_import_id'], ['usage_import.id'], name=op.f('fk_cell_reading_usage_import_id_usage_import'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cell_reading')),
    sa.UniqueConstraint('metric_id', 'day', 'team', 'region', 'module', name=op.f('uq_cell_reading_metric_id_day_team_region_module'))
    )
    op.create_table('cell_target',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('metric_id', sa.Integer(), nullable=False),
    sa.Column('team', sa.String(length=64), nullable=False),
    sa.Column('region', sa.String(length=64), nullable=False),
    sa.Column('module', sa.String(length=64), nullable=False),
    sa.Column('phase_ordinal', sa.Integer(), nullable=False),
    sa.Column('target', sa.Double(), nullable=False),
    sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_cell_target_metric_id_metric'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cell_target')),
    sa.UniqueConstraint('metric_id', 'team', 'region', 'module', 'phase_ordinal', name=op.f('uq_cell_target_metric_id_team_region_module_phase_ordinal'))
    )
    op.create_table('interview_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('interview_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('indicator_key', sa.String(length=64), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['interview_id'], ['interview.id'], name=op.f('fk_interview_answer_interview_id_interview'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_interview_answer_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interview_answer')),
    sa.UniqueConstraint('interview_id', 'indicator_key', name=op.f('uq_interview_answer_interview_id_indicator_key'))
    )


def downgrade():
    op.drop_table('interview_answer')
    op.drop_table('cell_target')
    op.drop_table('cell_reading')
    op.drop_table('user_team')
    op.drop_table('usage_mapping')
    op.drop_table('usage_import')
    op.drop_table('usage_activity')
    op.drop_table('training_session')
    op.drop_table('dimension_value')
