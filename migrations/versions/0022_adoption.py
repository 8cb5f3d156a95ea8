"""adoption: placeholder, filled by the adoption work (a no-op until then)

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
    pass


def downgrade():
    pass
