"""raid: issues, decisions, change requests; one action list; risk review cadence

Revision ID: 0019
Revises: 0017
Create Date: 2026-12-06 14:00:00

The risk actions become the program's one action list in place: ``risk_action`` keeps its
rows and ids (so each action's audit history stays continuous) and gains the program and
the other things an action can belong to (an issue, a steering review, a phase's gate);
exactly one of them owns each action. Existing rows get their risk's program.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0017'
branch_labels = None
depends_on = None

ONE_OWNER = (
    "(CASE WHEN risk_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN issue_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN review_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN gate_phase_id IS NULL THEN 0 ELSE 1 END) = 1"
)
ONE_TARGET = (
    "(CASE WHEN work_item_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN phase_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN risk_id IS NULL THEN 0 ELSE 1 END) = 1"
)


def _issue() -> None:
    op.create_table(
        'issue',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('severity', sa.String(length=20), nullable=False),
        sa.Column('owner', sa.String(length=120), nullable=True),
        sa.Column('due_date', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('raised_on', sa.Date(), nullable=False),
        sa.Column('resolved_on', sa.Date(), nullable=True),
        sa.Column('resolution', sa.Text(), nullable=False),
        sa.Column('source_risk_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "severity IN ('low', 'medium', 'high', 'critical')", name=op.f('ck_issue_severity_known')
        ),
        sa.CheckConstraint(
            "status IN ('open', 'in_progress', 'resolved', 'closed')",
            name=op.f('ck_issue_status_known'),
        ),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_issue_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['source_risk_id'], ['risk.id'], name=op.f('fk_issue_source_risk_id_risk'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issue')),
        sa.UniqueConstraint('program_id', 'key', name=op.f('uq_issue_program_id_key')),
    )
    op.create_index('ix_issue_source_risk', 'issue', ['source_risk_id'])
    op.create_table(
        'issue_link',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('issue_id', sa.Integer(), nullable=False),
        sa.Column('work_item_id', sa.Integer(), nullable=True),
        sa.Column('phase_id', sa.Integer(), nullable=True),
        sa.Column('risk_id', sa.Integer(), nullable=True),
        sa.CheckConstraint(ONE_TARGET, name=op.f('ck_issue_link_one_target')),
        sa.ForeignKeyConstraint(['issue_id'], ['issue.id'], name=op.f('fk_issue_link_issue_id_issue'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_issue_link_work_item_id_work_item'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['phase_id'], ['phase.id'], name=op.f('fk_issue_link_phase_id_phase'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['risk_id'], ['risk.id'], name=op.f('fk_issue_link_risk_id_risk'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_issue_link')),
    )
    op.create_index('ix_issue_link_issue', 'issue_link', ['issue_id'])


def _change_request() -> None:
    op.create_table(
        'change_request',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('requester', sa.String(length=120), nullable=False),
        sa.Column('justification', sa.Text(), nullable=False),
        sa.Column('requested_on', sa.Date(), nullable=False),
        sa.Column('work_item_id', sa.Integer(), nullable=True),
        sa.Column('phase_id', sa.Integer(), nullable=True),
        sa.Column('days', sa.Integer(), nullable=True),
        sa.Column('new_date', sa.Date(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('scenario_id', sa.Integer(), nullable=True),
        sa.Column('impact', sa.JSON(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('add_work', 'remove_work', 'resize_work', 'move_milestone', 'phase_scope')",
            name=op.f('ck_change_request_kind_known'),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'withdrawn')",
            name=op.f('ck_change_request_status_known'),
        ),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_change_request_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_change_request_work_item_id_work_item'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['phase_id'], ['phase.id'], name=op.f('fk_change_request_phase_id_phase'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['scenario_id'], ['scenario.id'], name=op.f('fk_change_request_scenario_id_scenario'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_change_request')),
        sa.UniqueConstraint('program_id', 'key', name=op.f('uq_change_request_program_id_key')),
    )


def _decision() -> None:
    op.create_table(
        'decision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('rationale', sa.Text(), nullable=False),
        sa.Column('options', sa.Text(), nullable=False),
        sa.Column('decided_by', sa.String(length=200), nullable=False),
        sa.Column('decided_on', sa.Date(), nullable=False),
        sa.Column('issue_id', sa.Integer(), nullable=True),
        sa.Column('review_id', sa.Integer(), nullable=True),
        sa.Column('change_request_id', sa.Integer(), nullable=True),
        sa.Column('gate_phase_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_decision_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['issue_id'], ['issue.id'], name=op.f('fk_decision_issue_id_issue'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['review_id'], ['steering_review.id'], name=op.f('fk_decision_review_id_steering_review'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['change_request_id'], ['change_request.id'], name=op.f('fk_decision_change_request_id_change_request'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['gate_phase_id'], ['phase.id'], name=op.f('fk_decision_gate_phase_id_phase'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_decision')),
        sa.UniqueConstraint('program_id', 'key', name=op.f('uq_decision_program_id_key')),
    )
    op.create_index('ix_decision_program_on', 'decision', ['program_id', 'decided_on'])


def upgrade():
    _issue()
    _change_request()
    _decision()
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('review_cadence_days', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('last_reviewed_on', sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column('residual_reason', sa.Text(), nullable=False, server_default='')
        )
    with op.batch_alter_table('risk_action', schema=None) as batch_op:
        batch_op.add_column(sa.Column('program_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('issue_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('review_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('gate_phase_id', sa.Integer(), nullable=True))
    op.execute(
        "UPDATE risk_action SET program_id = "
        "(SELECT risk.program_id FROM risk WHERE risk.id = risk_action.risk_id)"
    )
    with op.batch_alter_table('risk_action', schema=None) as batch_op:
        batch_op.alter_column('program_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('risk_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            batch_op.f('fk_risk_action_program_id_program'), 'program', ['program_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_risk_action_issue_id_issue'), 'issue', ['issue_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_risk_action_review_id_steering_review'), 'steering_review',
            ['review_id'], ['id'], ondelete='CASCADE',
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_risk_action_gate_phase_id_phase'), 'phase', ['gate_phase_id'], ['id'],
            ondelete='CASCADE',
        )
        batch_op.create_check_constraint('one_owner', ONE_OWNER)
        batch_op.create_index('ix_risk_action_program', ['program_id'])


def downgrade():
    # actions of anything but a risk have no place in the older schema: they go
    op.execute("DELETE FROM risk_action WHERE risk_id IS NULL")
    with op.batch_alter_table('risk_action', schema=None) as batch_op:
        batch_op.drop_index('ix_risk_action_program')
        batch_op.drop_constraint('one_owner', type_='check')
        batch_op.drop_constraint(batch_op.f('fk_risk_action_gate_phase_id_phase'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_risk_action_review_id_steering_review'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_risk_action_issue_id_issue'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_risk_action_program_id_program'), type_='foreignkey')
        batch_op.alter_column('risk_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('gate_phase_id')
        batch_op.drop_column('review_id')
        batch_op.drop_column('issue_id')
        batch_op.drop_column('program_id')
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.drop_column('residual_reason')
        batch_op.drop_column('last_reviewed_on')
        batch_op.drop_column('review_cadence_days')
    op.drop_index('ix_decision_program_on', table_name='decision')
    op.drop_table('decision')
    op.drop_table('change_request')
    op.drop_index('ix_issue_link_issue', table_name='issue_link')
    op.drop_table('issue_link')
    op.drop_index('ix_issue_source_risk', table_name='issue')
    op.drop_table('issue')
