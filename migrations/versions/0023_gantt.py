"""gantt: placeholder, filled by the gantt work (a no-op until then)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 14:00:00
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
