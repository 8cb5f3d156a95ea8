"""phone: placeholder, filled by the phone work (a no-op until then)

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
