"""notify: notifications, preferences, e-mail digests, chat webhooks, comments, attachments

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 14:00:00
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

_SUBJECTS = "subject_type IN ('workitem', 'risk', 'gate', 'review', 'assessment')"


def upgrade():
    op.create_table(
        'notify_digest',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('items', sa.Integer(), nullable=False),
        sa.Column('claimed_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.Column('error', sa.Text(), nullable=False),
        sa.CheckConstraint("status IN ('claimed', 'sent', 'failed')", name=op.f('ck_notify_digest_status_known')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notify_digest_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_digest')),
        sa.UniqueConstraint('user_id', 'period', name='uq_notify_digest_period'),
    )
    op.create_table(
        'notification',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=True),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('urgency', sa.String(length=10), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('read_at', sa.DateTime(), nullable=True),
        sa.Column('digest_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notification_user_id_user_account'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_notification_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['digest_id'], ['notify_digest.id'], name=op.f('fk_notification_digest_id_notify_digest'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notification')),
        sa.UniqueConstraint('user_id', 'dedupe_key', name='uq_notification_dedupe'),
    )
    op.create_index('ix_notification_user_unread', 'notification', ['user_id', 'read_at'])
    op.create_table(
        'notify_settings',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('digest', sa.String(length=10), nullable=False),
        sa.Column('quiet_days', sa.String(length=7), nullable=False),
        sa.Column('lead_days', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("digest IN ('daily', 'weekly', 'off')", name=op.f('ck_notify_settings_digest_known')),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notify_settings_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id', name=op.f('pk_notify_settings')),
    )
    op.create_table(
        'notify_preference',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('channel', sa.String(length=10), nullable=False),
        sa.Column('enabled', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_notify_preference_user_id_user_account'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_notify_preference_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_preference')),
        sa.UniqueConstraint('user_id', 'program_id', 'event', 'channel', name='uq_notify_preference_choice'),
    )
    op.create_table(
        'notify_webhook',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('url', sa.String(length=1000), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=True),
        sa.Column('lang', sa.String(length=16), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('last_error_at', sa.DateTime(), nullable=True),
        sa.Column('last_ok_at', sa.DateTime(), nullable=True),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('wecom', 'dingtalk', 'slack', 'json')", name=op.f('ck_notify_webhook_kind_known')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_notify_webhook_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_webhook')),
    )
    op.create_table(
        'notify_webhook_delivery',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('webhook_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('params', sa.JSON(), nullable=False),
        sa.Column('link', sa.String(length=500), nullable=False),
        sa.Column('dedupe_key', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['webhook_id'], ['notify_webhook.id'], name=op.f('fk_notify_webhook_delivery_webhook_id_notify_webhook'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_notify_webhook_delivery')),
        sa.UniqueConstraint('webhook_id', 'dedupe_key', name='uq_webhook_delivery_dedupe'),
    )
    op.create_index('ix_webhook_delivery_status', 'notify_webhook_delivery', ['status', 'next_attempt_at'])
    op.create_table(
        'comment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('subject_type', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('author_label', sa.String(length=254), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.CheckConstraint(_SUBJECTS, name=op.f('ck_comment_subject_known')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_comment_program_id_program'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['user_account.id'], name=op.f('fk_comment_author_id_user_account'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_comment')),
    )
    op.create_index('ix_comment_subject', 'comment', ['program_id', 'subject_type', 'subject_id'])
    op.create_table(
        'attachment',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('program_id', sa.Integer(), nullable=False),
        sa.Column('subject_type', sa.String(length=20), nullable=False),
        sa.Column('subject_id', sa.Integer(), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('storage_key', sa.String(length=200), nullable=False),
        sa.Column('uploaded_by', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint(_SUBJECTS, name=op.f('ck_attachment_subject_known')),
        sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_attachment_program_id_program'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
        sa.UniqueConstraint('storage_key', name=op.f('uq_attachment_storage_key')),
    )
    op.create_index('ix_attachment_subject', 'attachment', ['program_id', 'subject_type', 'subject_id'])


def downgrade():
    op.drop_index('ix_attachment_subject', table_name='attachment')
    op.drop_table('attachment')
    op.drop_index('ix_comment_subject', table_name='comment')
    op.drop_table('comment')
    op.drop_index('ix_webhook_delivery_status', table_name='notify_webhook_delivery')
    op.drop_table('notify_webhook_delivery')
    op.drop_table('notify_webhook')
    op.drop_table('notify_preference')
    op.drop_table('notify_settings')
    op.drop_index('ix_notification_user_unread', table_name='notification')
    op.drop_table('notification')
    op.drop_table('notify_digest')
