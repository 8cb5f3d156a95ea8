"""money: people directory, assignments and effort, costs, budgets, benefits; owners as people

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 14:00:00

Every free-text owner of a work item, risk, risk action and metric becomes a person of its
program's directory (one person per distinct name a program) and the row points at them; the
text column stays as the person's name, so nothing is lost. The downgrade writes each linked
person's name back into the owner text (where it is empty) before dropping the links.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

OWNED = (
    # table, how to reach the program id
    ("work_item", "program_id"),
    ("risk", "program_id"),
    ("metric", "program_id"),
    ("risk_action", "(SELECT r.program_id FROM risk r WHERE r.id = risk_action.risk_id)"),
)


def _tables():
    op.create_table(
        'person',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('email', sa.String(length=254), nullable=True),
        sa.Column('role', sa.String(length=120), nullable=False),
        sa.Column('team', sa.String(length=120), nullable=False),
        sa.Column('capacity_hours', sa.Float(), nullable=False),
        sa.Column('hourly_rate', sa.Float(), nullable=True),
        sa.Column('currency', sa.String(length=3), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('length(name) >= 1', name=op.f('ck_person_has_name')),
        sa.CheckConstraint('capacity_hours >= 0 AND capacity_hours <= 168',
                           name=op.f('ck_person_capacity_range')),
        sa.CheckConstraint('hourly_rate IS NULL OR hourly_rate >= 0',
                           name=op.f('ck_person_rate_not_negative')),
        sa.CheckConstraint("kind IN ('member', 'stakeholder', 'role')", name=op.f('ck_person_kind_known')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_person_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_person_user_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
        sa.UniqueConstraint('program_id', 'name', name=op.f('uq_person_program_id_name')),
    )
    op.create_index('ix_person_team', 'person', ['program_id', 'team'])
    op.create_table(
        'person_day_off',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('first_day', sa.Date(), nullable=False),
        sa.Column('last_day', sa.Date(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.CheckConstraint('last_day >= first_day', name=op.f('ck_person_day_off_days_ordered')),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_day_off_person_id_person'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_person_day_off')),
    )
    op.create_table(
        'assignment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('work_item_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('planned_hours', sa.Float(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('planned_hours >= 0 AND planned_hours <= 100000', name=op.f('ck_assignment_hours_range')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_assignment_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_assignment_work_item_id_work_item'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_assignment_person_id_person'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment')),
        sa.UniqueConstraint('work_item_id', 'person_id', name=op.f('uq_assignment_work_item_id_person_id')),
    )
    op.create_index('ix_assignment_person', 'assignment', ['person_id'])
    op.create_table(
        'effort_log',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('work_item_id', sa.Integer(), nullable=False),
        sa.Column('week', sa.Date(), nullable=False),
        sa.Column('hours', sa.Float(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.CheckConstraint('hours >= 0 AND hours <= 168', name=op.f('ck_effort_log_hours_range')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_effort_log_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_effort_log_person_id_person'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_effort_log_work_item_id_work_item'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_effort_log')),
        sa.UniqueConstraint('person_id', 'work_item_id', 'week', name=op.f('uq_effort_log_person_id_work_item_id_week')),
    )
    op.create_index('ix_effort_log_program_week', 'effort_log', ['program_id', 'week'])
    op.create_table(
        'money_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('fx_rates', sa.JSON(), nullable=False),
        sa.Column('discount_rate', sa.Float(), nullable=False),
        sa.Column('horizon_months', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('discount_rate >= 0 AND discount_rate <= 1', name=op.f('ck_money_settings_rate_range')),
        sa.CheckConstraint('horizon_months >= 1 AND horizon_months <= 240', name=op.f('ck_money_settings_horizon_range')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_money_settings_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_money_settings')),
        sa.UniqueConstraint('program_id', name=op.f('uq_money_settings_program_id')),
    )
    op.create_table(
        'role_rate',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=120), nullable=False),
        sa.Column('hourly_rate', sa.Float(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.CheckConstraint('hourly_rate >= 0', name=op.f('ck_role_rate_rate_not_negative')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_role_rate_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_role_rate')),
        sa.UniqueConstraint('program_id', 'role', name=op.f('uq_role_rate_program_id_role')),
    )
    op.create_table(
        'cost_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('phase_id', sa.Integer(), nullable=True),
        sa.Column('work_item_id', sa.Integer(), nullable=True),
        sa.Column('workstream', sa.String(length=64), nullable=True),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('category', sa.String(length=20), nullable=False),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.Column('currency', sa.String(length=3), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_cost_entry_amount_not_negative')),
        sa.CheckConstraint("kind IN ('planned', 'invoice')", name=op.f('ck_cost_entry_kind_known')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_cost_entry_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['phase_id'], ['phase.id'], name=op.f('fk_cost_entry_phase_id_phase'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['work_item_id'], ['work_item.id'], name=op.f('fk_cost_entry_work_item_id_work_item'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_cost_entry')),
    )
    op.create_table(
        'budget_line',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('phase_id', sa.Integer(), nullable=True),
        sa.Column('workstream', sa.String(length=64), nullable=True),
        sa.Column('amount', sa.Float(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('amount >= 0', name=op.f('ck_budget_line_amount_not_negative')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_budget_line_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['phase_id'], ['phase.id'], name=op.f('fk_budget_line_phase_id_phase'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_budget_line')),
        sa.UniqueConstraint('program_id', 'phase_id', 'workstream', name=op.f('uq_budget_line_program_id_phase_id_workstream')),
    )
    op.create_table(
        'benefit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('name_zh', sa.String(length=200), nullable=True),
        sa.Column('metric_id', sa.Integer(), nullable=True),
        sa.Column('unit', sa.String(length=32), nullable=False),
        sa.Column('baseline', sa.Float(), nullable=False),
        sa.Column('target', sa.Float(), nullable=False),
        sa.Column('annual_value', sa.Float(), nullable=False),
        sa.Column('go_live_phase', sa.Integer(), nullable=False),
        sa.Column('ramp_months', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint('annual_value >= 0', name=op.f('ck_benefit_value_not_negative')),
        sa.CheckConstraint('ramp_months >= 0 AND ramp_months <= 120', name=op.f('ck_benefit_ramp_range')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_benefit_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['metric_id'], ['metric.id'], name=op.f('fk_benefit_metric_id_metric'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit')),
        sa.UniqueConstraint('program_id', 'key', name=op.f('uq_benefit_program_id_key')),
    )
    op.create_table(
        'benefit_reading',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('benefit_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(['benefit_id'], ['benefit.id'], name=op.f('fk_benefit_reading_benefit_id_benefit'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_reading')),
        sa.UniqueConstraint('benefit_id', 'day', name=op.f('uq_benefit_reading_benefit_id_day')),
    )


def _owners_to_people():
    conn = op.get_bind()
    people = {}  # (program_id, name) -> person id
    for table, program in OWNED:
        rows = conn.execute(sa.text(
            f"SELECT id, {program} AS program_id, owner FROM {table} "
            "WHERE owner IS NOT NULL AND trim(owner) <> ''"
        )).all()
        for row_id, program_id, owner in rows:
            name = owner.strip()[:120]
            key = (program_id, name)
            if key not in people:
                conn.execute(sa.text(
                    "INSERT INTO person (program_id, name, kind, role, team, capacity_hours, "
                    "version) VALUES (:p, :n, 'stakeholder', '', '', 40.0, 1)"
                ), {"p": program_id, "n": name})
                people[key] = conn.execute(sa.text(
                    "SELECT id FROM person WHERE program_id = :p AND name = :n"
                ), {"p": program_id, "n": name}).scalar()
            conn.execute(sa.text(
                f"UPDATE {table} SET owner_person_id = :person WHERE id = :id"
            ), {"person": people[key], "id": row_id})


def upgrade():
    _tables()
    for table, _program in OWNED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('owner_person_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(
                f'fk_{table}_owner_person_id_person', 'person', ['owner_person_id'], ['id'],
                ondelete='SET NULL',
            )
    _owners_to_people()


def downgrade():
    conn = op.get_bind()
    for table, _program in OWNED:
        conn.execute(sa.text(
            f"UPDATE {table} SET owner = (SELECT substr(p.name, 1, 120) FROM person p "
            f"WHERE p.id = {table}.owner_person_id AND p.kind <> 'role') "
            "WHERE owner_person_id IS NOT NULL AND (owner IS NULL OR trim(owner) = '')"
        ))
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_owner_person_id_person', type_='foreignkey')
            batch_op.drop_column('owner_person_id')
    for name in ('benefit_reading', 'benefit', 'budget_line', 'cost_entry', 'role_rate',
                 'money_settings', 'effort_log', 'assignment', 'person_day_off'):
        op.drop_table(name)
    op.drop_index('ix_person_team', table_name='person')
    op.drop_table('person')
