"""risk cause and effect in Chinese

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-28 00:59:44.689141

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cause_zh', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('effect_zh', sa.Text(), nullable=True))



def downgrade():
    with op.batch_alter_table('risk', schema=None) as batch_op:
        batch_op.drop_column('effect_zh')
        batch_op.drop_column('cause_zh')

